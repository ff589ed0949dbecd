// The kiosk is an app on a tablet: it needs JavaScript, and its shell must load from the
// service worker's cache with no server at all, so nothing is rendered on the server.
export const ssr = false;
