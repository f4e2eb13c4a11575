import { db } from '../server/db';

type Widget = { id: number; name: string };

export async function getServerSideProps() {
  // bkgen: expect sql-select-star
  const widgets = await db.query<Widget>("SELECT * FROM widgets WHERE visible = true");
  // bkgen: ok sql-select-star
  const featured = await db.query<Widget>('SELECT id, name FROM widgets WHERE featured');
  return { props: { widgets, featured } };
}

export function ColumnPicker({ columns }: { columns: string[] }) {
  // bkgen: ok sql-select-star
  const hint = 'select * to include every column';
  return (
    <div title={hint}>
      Select * from the list below
      {columns.map((c) => <label key={c}>{c}</label>)}
    </div>
  );
}

export async function exportAll(table: string) {
  // bkgen: expect sql-select-star
  return db.query(`SELECT * FROM ${table}`);
}
