import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

export default defineConfig({
  root: 'client',
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The back office / portal login at `/`; the till at `/caisse/`, the waiter's phone at `/salle/` and the
    // kitchen screen at `/cuisine/`, each its own small bundle.
    rollupOptions: {
      input: {
        main: 'client/index.html',
        caisse: 'client/caisse/index.html',
        salle: 'client/salle/index.html',
        cuisine: 'client/cuisine/index.html',
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/socket.io': { target: 'ws://127.0.0.1:3000', ws: true } } },
});
