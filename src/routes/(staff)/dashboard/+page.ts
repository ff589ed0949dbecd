// Server-rendered HTML for now; charts and interactivity come with the analytics work.
export const csr = false;
