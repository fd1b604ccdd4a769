/** Seeded physics-flavoured text for benchmarks: common words, physics terms, a few accents and CJK, rare words. */

const common = 'the of and a to in is that it for as with was on be by this are from at or an which'.split(
  ' ',
);
const physics = (
  'energy momentum velocity acceleration force mass kinetic potential friction slope skier height gravity ' +
  'circuit resistor voltage current ohm capacitor wave frequency amplitude wavelength pendulum spring ' +
  'thermodynamics entropy heat temperature pressure volume gas work power impulse collision torque angular ' +
  'orbit satellite radius centripetal newton joule watt pascal kelvin equation formula solution answer step ' +
  'units significant figures vector scalar displacement distance time speed projectile trajectory incline ' +
  'conservation elastic inelastic density buoyancy fluid lens mirror refraction reflection photon electron'
).split(' ');
const rare = 'quasar magnetar tachyon bremsstrahlung cherenkov'.split(' ');
const extras = [
  'café',
  'naïve',
  'Schrödinger',
  'Ångström',
  '速度は距離を時間で割ったもの',
  'エネルギー保存',
  '운동량',
];

export function sentence(next: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    const roll = next();
    out.push(
      roll < 0.45
        ? common[Math.floor(next() * common.length)]!
        : roll < 0.985
          ? physics[Math.floor(Math.pow(next(), 2) * physics.length)]!
          : roll < 0.995
            ? extras[Math.floor(next() * extras.length)]!
            : rare[Math.floor(next() * rare.length)]!,
    );
  }
  return `${out.join(' ')}.`;
}
