import './mb-guest.js';
