// Rendered on the server only: the page ships no JavaScript and works on any phone browser.
export const csr = false;
