import { Navigate, Route, Routes, useLocation } from "react-router-dom";
import { useAuth } from "./auth";
import { Layout } from "./components/Layout";
import { SignIn } from "./pages/SignIn";
import { CustomerList } from "./pages/CustomerList";
import { CustomerPage } from "./pages/CustomerPage";
import { ProviderInfo } from "./pages/ProviderInfo";
import { Imports, ImportRunPage } from "./pages/Imports";
import { WorksitePlacements } from "./pages/plan/WorksitePlacements";
import { Employers } from "./pages/Employers";
import { CustomerServicesReport } from "./pages/reports/CustomerServicesReport";
import { Attendance } from "./pages/plan/Attendance";
import { GroupAttendance } from "./pages/plan/GroupAttendance";
import { AbawdMonths, AbawdWorklist, EarnfareSheet } from "./pages/plan/MonthSheets";

export function App() {
  const { session } = useAuth();
  const location = useLocation();
  if (!session) {
    if (location.pathname === "/sign-in") return <SignIn />;
    // The page asked for is remembered and opened again after signing in.
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  return (
    <Layout>
      <Routes>
        <Route path="/" element={<Navigate to="/customers" replace />} />
        <Route path="/sign-in" element={<Navigate to="/customers" replace />} />
        <Route path="/customers" element={<CustomerList />} />
        <Route path="/customers/:customerId" element={<CustomerPage />} />
        <Route path="/customers/:customerId/plan/:section" element={<CustomerPage />} />
        <Route path="/providers" element={<ProviderInfo />} />
        <Route path="/imports" element={<Imports />} />
        <Route path="/imports/:runId" element={<ImportRunPage />} />
        <Route path="/customers/:customerId/placements" element={<WorksitePlacements />} />
        <Route path="/employers" element={<Employers />} />
        <Route path="/reports/customer-services" element={<CustomerServicesReport />} />
        <Route path="/customers/:customerId/attendance" element={<Attendance />} />
        <Route path="/customers/:customerId/earnfare" element={<EarnfareSheet />} />
        <Route path="/customers/:customerId/abawd" element={<AbawdMonths />} />
        <Route path="/attendance" element={<GroupAttendance />} />
        <Route path="/abawd" element={<AbawdWorklist />} />
        <Route path="*" element={<h1>Page not found</h1>} />
      </Routes>
    </Layout>
  );
}
