// Starts Swagger UI on /docs from the server's own copy (api/app.py); a file, not an inline
// script, so the page's Content-Security-Policy needs no exception for scripts.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
