/**
 * Runs before every test file of every suite (vitest setupFiles): fast-check draws from the
 * project's test seed unless a property passes its own.
 */
import fc from 'fast-check';
import { TEST_SEED } from './seed.js';

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: TEST_SEED });
