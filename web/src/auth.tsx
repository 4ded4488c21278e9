import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { api, apiError, useToken, type Me } from "./api/client";

const STORAGE = "isets.session";

interface Session {
  token: string;
  expiresAt: number;
  me: Me;
}

interface Auth {
  session: Session | null;
  /** Why the last session ended, shown on the sign-in page. */
  ended: string | null;
  signIn(username: string, password: string): Promise<void>;
  signOut(reason?: string): void;
}

const AuthContext = createContext<Auth | null>(null);

function stored(): Session | null {
  const raw = sessionStorage.getItem(STORAGE);
  const session = raw ? (JSON.parse(raw) as Session) : null;
  return session && session.expiresAt > Date.now() ? session : null;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queries = useQueryClient();
  const [session, setSession] = useState<Session | null>(stored);
  const [ended, setEnded] = useState<string | null>(null);

  const signOut = useCallback(
    (reason?: string) => {
      sessionStorage.removeItem(STORAGE);
      useToken(null, () => {});
      queries.clear();
      setEnded(reason ?? null);
      setSession(null);
    },
    [queries],
  );

  const expire = useCallback(() => signOut("Your session has expired. Sign in again to continue."), [signOut]);
  useToken(session?.token ?? null, expire);
  useEffect(() => {
    // Back to sign-in when the token runs out, with the page remembered (App keeps where it was).
    if (!session) return;
    const timer = setTimeout(expire, Math.max(0, session.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [session, expire]);

  const signIn = useCallback(async (username: string, password: string) => {
    const answer = await fetch("/auth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username, password }),
    });
    const body = await answer.json().catch(() => undefined);
    if (!answer.ok) throw apiError(answer.status, body);
    const token = body.access_token as string;
    useToken(token, () => {});
    const me = await api.GET("/auth/me");
    if (!me.data) throw apiError(me.response.status, me.error);
    const next = { token, expiresAt: Date.now() + (body.expires_in as number) * 1000, me: me.data };
    sessionStorage.setItem(STORAGE, JSON.stringify(next));
    setEnded(null);
    setSession(next);
  }, []);

  const value = useMemo(() => ({ session, ended, signIn, signOut }), [session, ended, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside AuthProvider");
  return auth;
}
