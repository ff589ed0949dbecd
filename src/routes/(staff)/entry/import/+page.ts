// Plain server-rendered forms: the same with JavaScript on or off.
export const csr = false;
