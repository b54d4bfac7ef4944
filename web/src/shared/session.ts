// The signed-in person's bearer token, per browser tab (sessionStorage: closing the tab signs out).
const TOKEN_KEY = "estate.token";
const NAME_KEY = "estate.name";

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function getName(): string | null {
  return sessionStorage.getItem(NAME_KEY);
}

export function signIn(token: string, name: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  sessionStorage.setItem(NAME_KEY, name);
}

export function signOut(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(NAME_KEY);
}
