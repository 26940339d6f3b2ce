/**
 * The server's web content: the demo pages, the live dashboard and the JavaScript client, served
 * from classpath resources on the HTTP port. Depends on playconnect-http only; the server's wiring
 * decides where it is mounted.
 */
package io.playconnect.server.web;
