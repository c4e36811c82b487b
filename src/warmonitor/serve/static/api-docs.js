// Starts Swagger UI (served from the package, no CDN) on the API's own OpenAPI schema. A file of its
// own because the page allows no inline script.
(function () {
  "use strict";
  var target = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: target.getAttribute("data-openapi"),
    domNode: target,
    deepLinking: true,
    validatorUrl: null,  // the default badge asks a server elsewhere to validate the schema
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
