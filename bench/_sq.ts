import { benchTickets } from './tickets.ts';
for (const line of await benchTickets([10], Number(process.env.N ?? 3000), [])) console.log(line);
