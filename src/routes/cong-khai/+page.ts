// Read on phones over 3G: server-rendered HTML and CSS only.
export const csr = false;
