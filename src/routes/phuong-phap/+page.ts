// Read on phones over 3G and printed: server-rendered HTML and CSS only.
export const csr = false;
