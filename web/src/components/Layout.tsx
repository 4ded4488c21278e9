import type { ReactNode } from "react";
import { Link, NavLink } from "react-router-dom";
import { Button, GridContainer, Header, Title } from "@trussworks/react-uswds";
import { useAuth } from "../auth";
import { can } from "../roles";
import { problemText } from "../api/client";

export function Layout({ children }: { children: ReactNode }) {
  const { session, signOut } = useAuth();
  const me = session!.me;
  return (
    <>
      <a className="usa-skipnav" href="#main-content">
        Skip to main content
      </a>
      <Header basic>
        <GridContainer className="display-flex flex-justify flex-align-center flex-wrap padding-y-1">
          <Title>
            <Link to="/customers">ISETS</Link>
          </Title>
          <nav aria-label="Main" className="display-flex flex-align-center flex-wrap">
            <NavLink className="margin-right-2" to="/customers">
              Customers
            </NavLink>
            <NavLink className="margin-right-2" to="/providers">
              Provider Info
            </NavLink>
            {me.role !== "customer" && (
              <NavLink className="margin-right-2" to="/employers">
                Employers
              </NavLink>
            )}
            {me.role !== "customer" && (
              <NavLink className="margin-right-2" to="/reports/customer-services">
                Customer Services Report
              </NavLink>
            )}
            {can.importIes(me) && (
              <NavLink className="margin-right-2" to="/imports">
                IES imports
              </NavLink>
            )}
            {can.editCustomer(me) && (
              <>
                <NavLink className="margin-right-2" to="/attendance">
                  Group attendance
                </NavLink>
                <NavLink className="margin-right-2" to="/abawd">
                  ABAWD worklist
                </NavLink>
              </>
            )}
            <span className="margin-right-2" data-testid="signed-in-as">
              {me.name}
            </span>
            <Button type="button" unstyled onClick={() => signOut("You are signed out.")}>
              Sign out
            </Button>
          </nav>
        </GridContainer>
      </Header>
      <main id="main-content" className="isets-main">
        <GridContainer>{children}</GridContainer>
      </main>
    </>
  );
}

/** The problems of a refused request, next to what it concerns: with `field`, only the problems naming that
 * field (shown beside its input); with `except`, the others (shown under the form). */
export function Problem({ error, field, except }: { error: unknown; field?: string; except?: string[] }) {
  const text = problemText(error, field, except);
  if (!text) return null;
  return (
    <div className="usa-error-message" role="alert" data-field={field}>
      {text}
    </div>
  );
}
