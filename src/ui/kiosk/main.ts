import './mb-kiosk.js';
