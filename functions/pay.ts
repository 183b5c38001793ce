import { createHandler } from '../shared/handler.js';
import { backflow } from '../shared/schemas/backflow.js';

/** Reports a car's payment (pay_time, park_duration) to tmall.popupstore.park.backflow. */
export const api = backflow('pay');
export const handler = createHandler(api);
