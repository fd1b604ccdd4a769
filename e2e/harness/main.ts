import { mount } from 'svelte';
import 'katex/dist/katex.min.css';
import '../../src-renderer/app.css';
import '../../src-renderer/lib/markdown/markdown.css';
import Harness from './Harness.svelte';

mount(Harness, { target: document.getElementById('app')! });
