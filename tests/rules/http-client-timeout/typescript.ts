import axios, { AxiosRequestConfig } from 'axios';
import type { Order, Shipment } from './types';
import { defaultRequestConfig } from './http';

const SHIPPING_API = process.env.SHIPPING_API ?? 'http://shipping:8080';

export class ShippingClient {
  constructor(private readonly config: AxiosRequestConfig) {}

  async quote(order: Order): Promise<number> {
    // bkgen: expect http-client-timeout
    const { data } = await axios.post<{ price: number }>(`${SHIPPING_API}/quotes`, order);
    return data.price;
  }

  async track(id: string): Promise<Shipment> {
    // bkgen: expect http-client-timeout
    const res: Response = await fetch(`${SHIPPING_API}/shipments/${id}`);
    return (await res.json()) as Shipment;
  }

  async rates(region: string): Promise<number[]> {
    const options: AxiosRequestConfig = { params: { region }, headers: { Accept: 'application/json' } };
    // bkgen: expect http-client-timeout
    const { data } = await axios.get<number[]>(`${SHIPPING_API}/rates`, options);
    return data;
  }

  async zones(): Promise<string[]> {
    // Imported from another module: not judged here.
    // bkgen: ok http-client-timeout
    const { data } = await axios.get<string[]>(`${SHIPPING_API}/zones`, defaultRequestConfig);
    return data;
  }

  async carriers(options: AxiosRequestConfig): Promise<string[]> {
    // bkgen: ok http-client-timeout
    const { data } = await axios.get<string[]>(`${SHIPPING_API}/carriers`, options);
    return data;
  }

  async cancel(id: string): Promise<void> {
    // bkgen: ok http-client-timeout
    await axios.delete(`${SHIPPING_API}/shipments/${id}`, this.config);
  }

  async labels(id: string): Promise<Blob> {
    // bkgen: ok http-client-timeout
    const res = await fetch(`${SHIPPING_API}/shipments/${id}/label`, {
      headers: { Accept: 'application/pdf' },
      signal: AbortSignal.timeout(5_000),
    });
    return res.blob();
  }

  async carriers(): Promise<string[]> {
    // bkgen: expect http-client-timeout
    const { data } = await axios.get<string[]>(`${SHIPPING_API}/carriers`, { responseType: 'json' });
    // bkgen: ok http-client-timeout
    const { data: zones } = await axios.get<string[]>(`${SHIPPING_API}/zones`, { ...this.config });
    return data.concat(zones);
  }

  async ping(timeout: number): Promise<boolean> {
    // bkgen: ok http-client-timeout
    const res = await axios.head(`${SHIPPING_API}/health`, { timeout });
    return res.status === 200;
  }
}

export async function postJson<T>(url: string, body: unknown, init: RequestInit): Promise<T> {
  // bkgen: ok http-client-timeout
  const res = await fetch(url, init);
  // bkgen: expect http-client-timeout
  await fetch(url, { method: 'POST', body: JSON.stringify(body) } );
  return (await res.json()) as T;
}
