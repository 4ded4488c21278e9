import { Link } from "react-router-dom";
import { useQuery } from "@tanstack/react-query";
import { Table } from "@trussworks/react-uswds";
import { api, data } from "../api/client";
import { Problem } from "./Layout";

/** Overdue when the due date has passed (ISO dates compare as text). */
export function isOverdue(dueDate: string, today: string = new Date().toISOString().slice(0, 10)): boolean {
  return dueDate < today;
}

/** The caller's due items, soonest first: the start of the worklist on the home page. */
export function DueItems({ location }: { location?: string }) {
  const items = useQuery({
    queryKey: ["due-items", location ?? null],
    queryFn: async () => data(await api.GET("/api/due-items", { params: { query: location ? { location } : {} } })),
  });
  if (items.error) return <Problem error={items.error} />;
  if (!items.data) return <p>Loading due items…</p>;
  if (items.data.length === 0) return <p>Nothing due.</p>;
  return (
    <Table bordered fullWidth caption="Due items">
      <thead><tr><th scope="col">Due</th><th scope="col">Kind</th><th scope="col">Customer</th><th scope="col">What</th></tr></thead>
      <tbody>
        {items.data.map((item, index) => (
          <tr key={index}>
            <td>{item.due_date}{isOverdue(item.due_date) ? " (overdue)" : ""}</td>
            <td>{item.kind}</td>
            <td><Link to={`/customers/${item.customer_id}`}>{item.customer_name}</Link></td>
            <td>{item.what}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
