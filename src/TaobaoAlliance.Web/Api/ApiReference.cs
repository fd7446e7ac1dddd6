using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace TaobaoAlliance.Web.Api;

/// <summary>Whether the OpenAPI document and the API reference page are served outside Development.</summary>
public sealed class ApiReferenceOptions
{
    public const string Section = "ApiReference";

    /// <summary>
    /// Off by default in production: the document lists every route and schema. Turn it on where webmasters should
    /// read the reference (the API key page links it only then). Development always serves it.
    /// </summary>
    public bool Public { get; set; }
}

/// <summary>Marks an endpoint authenticated by the shop's signature header (<see cref="ShopSignatures"/>), for the OpenAPI document.</summary>
public sealed class ShopSignatureSecured
{
    public static readonly ShopSignatureSecured Instance = new();
}

/// <summary>
/// The OpenAPI document's security schemes (the webmaster's <c>X-Api-Key</c>, the shop's signature) on the operations
/// that need them, and the Scalar reference at <see cref="Path"/>, served from the package's bundled script: no CDN,
/// no fonts from the internet, no telemetry, no AI agent.
/// </summary>
public static class ApiReference
{
    public const string Path = "/api/docs";
    public const string ApiKeyScheme = "ApiKey";
    public const string SignatureScheme = "ShopSignature";

    public static void AddApiReference(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "TaobaoAlliance API";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiKeyAuthenticationHandler.Header,
                Description = "Your webmaster API key (Account → API key).",
            };
            document.Components.SecuritySchemes[SignatureScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ShopSignatures.Header,
                Description = "t={unix seconds},sha256={hex HMAC-SHA256 of \"{t}.{body}\" with the shop's Orders API secret}.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var scheme = metadata.OfType<IAuthorizeData>().Any(a => a.Policy == WebmasterApi.Policy) ? ApiKeyScheme
                : metadata.OfType<ShopSignatureSecured>().Any() ? SignatureScheme
                : null;
            if (scheme is not null)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] });
            }
            return Task.CompletedTask;
        });
    }

    public static void MapApiReference(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(Path, options => options
                .WithTitle("TaobaoAlliance API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .AddPreferredSecuritySchemes(ApiKeyScheme))
            .AllowAnonymous()
            .Add(endpoint =>
            {
                // Scalar's page starts itself with an inline script and inline styles, which the portal's CSP forbids
                // everywhere else; its script is this app's own (bundled in the package), so nothing is loaded from elsewhere.
                var inner = endpoint.RequestDelegate!;
                endpoint.RequestDelegate = context =>
                {
                    context.Response.Headers.ContentSecurityPolicy =
                        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                        + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
                    return inner(context);
                };
            });
    }
}
