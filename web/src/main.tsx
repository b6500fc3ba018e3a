import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { boot } from './app/boot.ts';
import './app/app.css';
import { z } from 'zod';

// The server's Content-Security-Policy allows no eval: zod then validates without compiling (it
// would probe `new Function` on the first parse and be refused, which the browser reports).
z.config({ jitless: true });

const initial = boot();
createRoot(document.getElementById('root')!).render(<App initial={initial} />);
