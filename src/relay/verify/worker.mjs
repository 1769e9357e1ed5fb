// Entry of a verification thread. The relay runs from TypeScript sources (under tsx or vitest), and
// a worker thread does not inherit the parent's loader, so it registers tsx before loading the code.
import { register } from 'tsx/esm/api';

register();
const { default: check } = await import('./worker.ts');
export default check;
