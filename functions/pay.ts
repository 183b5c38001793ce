import { backflow } from '../shared/apis/backflow.js';
import { createHandler } from '../shared/handler.js';

/** Reports a car's payment (pay_time, park_duration) to tmall.popupstore.park.backflow. */
export const api = backflow('pay');
export const handler = createHandler(api);
