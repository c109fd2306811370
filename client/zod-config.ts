import { z } from 'zod';

// The pages run under a Content-Security-Policy without 'unsafe-eval' (server/http/headers.ts): zod's
// compiled parsers (new Function) are not for the browser, where its probe would be reported as a policy
// violation. Imported first by every page's entry, before any schema is built.
z.config({ jitless: true });
