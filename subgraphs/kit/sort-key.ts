export { sortKeyOf } from '../shared/sort-key.js';
