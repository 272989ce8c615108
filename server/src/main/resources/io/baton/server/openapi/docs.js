// Swagger UI on Baton's document (/api/v1/openapi.json): "Authorize" takes a token (bt_...), kept in this browser.
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: new URL(root.dataset.url, window.location.href).toString(),
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: true,
    tryItOutEnabled: false
  });
});
