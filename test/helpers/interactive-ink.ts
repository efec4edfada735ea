/**
 * Imported first by console tests: Ink decides once, when loaded, whether it
 * runs in CI (and then draws nothing until exit). Tests assert frames, so
 * they run Ink as an operator's terminal would.
 */
for (const key of Object.keys(process.env)) if (key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_')) delete process.env[key];
process.env.CI = 'false';
