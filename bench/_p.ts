import { benchTickets } from './tickets.ts';
for (const l of await benchTickets([Number(process.env.LVL ?? 10)], Number(process.env.N ?? 4000))) console.log(l);
