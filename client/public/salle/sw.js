/* The waiter's phone keeps its page and assets like the till does (same worker, this scope's own cache). */
importScripts('/caisse/sw.js');
