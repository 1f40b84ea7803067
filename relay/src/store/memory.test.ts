import { MemoryStore } from './memory.js';
import { storeConformance } from './store.conformance.js';

storeConformance('memory', async () => new MemoryStore(Date.now, 100));
