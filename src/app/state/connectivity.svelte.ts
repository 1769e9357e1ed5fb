/** Whether the browser believes it is online; the shell says so when it is not. */
export const connectivity = $state({ online: navigator.onLine });

window.addEventListener('online', () => (connectivity.online = true));
window.addEventListener('offline', () => (connectivity.online = false));
