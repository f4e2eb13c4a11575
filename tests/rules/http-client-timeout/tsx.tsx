import { useEffect, useState } from 'react';
import axios from 'axios';

type Profile = { id: string; name: string };

export function ProfileCard({ userId }: { userId: string }) {
  const [profile, setProfile] = useState<Profile | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    // bkgen: ok http-client-timeout
    fetch(`/api/users/${userId}`, { signal: ctrl.signal })
      .then((r) => r.json())
      .then(setProfile);
    return () => ctrl.abort();
  }, [userId]);

  useEffect(() => {
    // bkgen: expect http-client-timeout
    fetch('/api/telemetry', { method: 'POST', body: JSON.stringify({ userId }) });
  }, [userId]);

  return <div className="card">{profile?.name ?? 'loading'}</div>;
}

// bkgen: expect http-client-timeout
const api = axios.create({ baseURL: '/api', withCredentials: true });

// bkgen: ok http-client-timeout
const fastApi = axios.create({ baseURL: '/api', timeout: 3000 });

export async function loadOrders(opts: RequestInit) {
  // bkgen: ok http-client-timeout
  const res = await fetch('/api/orders', opts);
  // bkgen: expect http-client-timeout
  const { data } = await axios.get<Profile[]>('/api/admins');
  // bkgen: ok http-client-timeout
  const health = await api.get('/health');
  return [res, data, health, fastApi];
}
