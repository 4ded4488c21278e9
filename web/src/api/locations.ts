import { useQuery } from "@tanstack/react-query";
import { api, data } from "./client";

/** casemgmt's provider locations; `openOnly`: those referrals may go to. */
export function useLocations(openOnly = false) {
  return useQuery({
    queryKey: ["reference", "locations", openOnly ? "open" : "all"],
    queryFn: async () => data(await api.GET("/api/locations", { params: { query: openOnly ? { open: true } : {} } })),
  });
}
