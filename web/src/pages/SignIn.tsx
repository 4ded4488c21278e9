import { useState, type FormEvent } from "react";
import { useLocation, useNavigate } from "react-router-dom";
import { Alert, Button, Fieldset, Form, GridContainer, Label, TextInput } from "@trussworks/react-uswds";
import { useAuth } from "../auth";

export function SignIn() {
  const { signIn, ended } = useAuth();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? "/customers";
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    try {
      await signIn(String(form.get("username")), String(form.get("password")));
      navigate(from, { replace: true });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : "sign-in failed");
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main-content">
      <GridContainer className="usa-section">
        <h1>ISETS sign in</h1>
        {ended && (
          <Alert type="info" headingLevel="h2" slim>
            {ended}
          </Alert>
        )}
        <Form onSubmit={submit}>
          <Fieldset legend="Staff account">
            <Label htmlFor="username">User name</Label>
            <TextInput id="username" name="username" type="text" autoComplete="username" required />
            <Label htmlFor="password">Password</Label>
            <TextInput id="password" name="password" type="password" autoComplete="current-password" required />
            {problem && (
              <div className="usa-error-message" role="alert">
                {problem}
              </div>
            )}
            <Button type="submit" disabled={busy}>
              Sign in
            </Button>
          </Fieldset>
        </Form>
      </GridContainer>
    </main>
  );
}
