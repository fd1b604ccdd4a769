/** The notes-search (embedding) model of the catalog: whether it is installed, and the way to its card. */
import type { CatalogItem } from '../../../src-shared/types';
import type { Router } from '../../lib/state/router.svelte';

/** The catalog's embedding model (bge-small), if the catalog has one. */
export function embeddingItem(catalog: readonly CatalogItem[]): CatalogItem | null {
  return catalog.find((item) => item.purpose === 'embedding') ?? null;
}

/** Goes to Models and brings the "For notes search" card into view, its Download button focused. */
export function showEmbeddingCard(router: Router): void {
  router.go('models');
  const started = performance.now();
  const look = () => {
    const card = [...document.querySelectorAll<HTMLElement>('[data-testid="catalog-item"]')].find((item) =>
      item.textContent?.includes('For notes search'),
    );
    if (card) {
      card.scrollIntoView({ block: 'center' });
      card.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus({ preventScroll: true });
    } else if (performance.now() - started < 2000) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}
