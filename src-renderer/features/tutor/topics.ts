import type { Topic } from '../../../src-shared/tutor';

export const topicLabels: Record<Topic, string> = {
  kinematics: 'Kinematics',
  forces: 'Forces',
  energy: 'Energy',
  momentum: 'Momentum',
  circular_motion: 'Circular motion',
  waves: 'Waves',
  circuits: 'Circuits',
  thermodynamics: 'Thermodynamics',
};
