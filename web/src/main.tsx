import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { boot } from './app/boot.ts';
import './app/app.css';

const initial = boot();
createRoot(document.getElementById('root')!).render(<App initial={initial} />);
