import { useQuery } from "@tanstack/react-query";
import { api, data } from "./client";

/** The customer page's read: intake's profile and referrals, composed by the gateway. */
export function useOverview(customerId: string) {
  return useQuery({
    queryKey: ["overview", customerId],
    queryFn: async () =>
      data(await api.GET("/api/customers/{customer_id}/overview", { params: { path: { customer_id: customerId } } })),
  });
}
