import { definePreset } from '@primeuix/themes';
import Aura from '@primeuix/themes/aura';

/** Filled buttons: each severity dark enough for white text (WCAG AA, 4.5:1). */
const filled = (shade: string, hover: string, active: string) => ({
  background: shade,
  hoverBackground: hover,
  activeBackground: active,
  borderColor: shade,
  hoverBorderColor: hover,
  activeBorderColor: active,
  focusRing: { color: shade, shadow: 'none' },
});

/** Outlined and text buttons: the label colour each severity needs on white. */
const LABELS = {
  secondary: '{surface.600}',
  success: '{green.700}',
  info: '{sky.700}',
  warn: '{orange.700}',
  help: '{purple.700}',
  danger: '{red.600}',
} as const;

/** Message and toast text per severity, on their pale backgrounds. */
const NOTICE_TEXT = { info: '{blue.700}', success: '{green.700}', warn: '{yellow.800}', error: '{red.700}' } as const;
const notice = (extra: (color: string) => object = () => ({})) =>
  Object.fromEntries(Object.entries(NOTICE_TEXT).map(([k, color]) => [k, { color, ...extra(color) }]));

/**
 * Aura with Flagpole's indigo as the primary colour, and every colour that carries text shifted
 * to a shade that meets AA contrast (Aura's defaults use the 500 shades, which do not).
 */
export const FlagpolePreset = definePreset(Aura, {
  semantic: {
    primary: {
      50: '{indigo.50}',
      100: '{indigo.100}',
      200: '{indigo.200}',
      300: '{indigo.300}',
      400: '{indigo.400}',
      500: '{indigo.500}',
      600: '{indigo.600}',
      700: '{indigo.700}',
      800: '{indigo.800}',
      900: '{indigo.900}',
      950: '{indigo.950}',
    },
    colorScheme: {
      light: {
        primary: {
          color: '{primary.600}',
          contrastColor: '#ffffff',
          hoverColor: '{primary.700}',
          activeColor: '{primary.800}',
        },
      },
    },
  },
  components: {
    button: {
      colorScheme: {
        light: {
          root: {
            info: filled('{sky.700}', '{sky.800}', '{sky.900}'),
            success: filled('{green.700}', '{green.800}', '{green.900}'),
            warn: filled('{orange.700}', '{orange.800}', '{orange.900}'),
            help: filled('{purple.700}', '{purple.800}', '{purple.900}'),
            danger: filled('{red.600}', '{red.700}', '{red.800}'),
          },
          outlined: Object.fromEntries(Object.entries(LABELS).map(([k, color]) => [k, { color }])),
          text: Object.fromEntries(Object.entries(LABELS).map(([k, color]) => [k, { color }])),
        },
      },
    },
    message: {
      colorScheme: { light: notice((color) => ({ outlined: { color }, simple: { color } })) },
    },
    toast: {
      colorScheme: { light: notice() },
    },
    togglebutton: {
      colorScheme: {
        light: {
          root: { color: '{surface.600}', hoverColor: '{surface.800}' },
          icon: { color: '{surface.600}', hoverColor: '{surface.800}' },
        },
      },
    },
  },
});
