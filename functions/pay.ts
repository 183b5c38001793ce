import { backflow } from '../shared/apis.js';
import { createHandler } from '../shared/handler.js';

/** Reports a car's payment (pay_time, park_duration) to tmall.popupstore.park.backflow. */
export const handler = createHandler(backflow('pay'));
