// The reminders' browser API for e2e steps the app's UI does not offer yet: the Rewards screen's
// claimable report and facts the chain would take days of chain time to produce (docs/reminders.md).
export { readReminderFacts, reportClaimable, saveReminderFacts } from '../../../src/browser/reminders/reminders.js';
