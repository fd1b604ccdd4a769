import type { Plugin } from 'vite';
import { contentSecurityPolicy } from '../src-shared/content-security-policy';

/**
 * Writes the one Content-Security-Policy into each built page as the first tag of `<head>`, before anything
 * it governs. A page that declares its own policy fails the build, so the policy cannot fork again.
 */
export function cspMetaTag(): Plugin {
  return {
    name: 'phidesk-csp-meta-tag',
    transformIndexHtml(html, context) {
      if (/http-equiv=["']?content-security-policy/i.test(html)) {
        throw new Error(
          `${context.filename} declares its own Content-Security-Policy: remove it; the build adds the one ` +
            'from src-shared/content-security-policy.ts.',
        );
      }
      return [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy },
          injectTo: 'head-prepend',
        },
      ];
    },
  };
}
