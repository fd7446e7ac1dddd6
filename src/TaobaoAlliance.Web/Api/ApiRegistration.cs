using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;

namespace TaobaoAlliance.Web.Api;

/// <summary>The JSON API under /api/v1, with its OpenAPI document at /openapi/v1.json and the reference at /api/docs (Development, or <see cref="ApiReferenceOptions.Public"/>).</summary>
public static class ApiRegistration
{
    public const string Prefix = "/api";

    public static bool IsApi(this HttpRequest request) => request.Path.StartsWithSegments(Prefix);

    public static void AddAllianceApi(this IServiceCollection services)
    {
        services.AddOpenApi(options => options.AddApiReference());
        services.AddOptions<ApiReferenceOptions>().BindConfiguration(ApiReferenceOptions.Section).ValidateOnStart();
        services.AddProblemDetails();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(WebmasterApi.Policy, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireClaim(ApiKeyAuthenticationHandler.WebmasterIdClaim));
    }

    /// <summary>
    /// Errors under /api are problem+json in every environment: an unhandled exception is a plain 500 problem
    /// (in Development too — the developer exception page would echo the request's headers, X-Api-Key among
    /// them), and an empty 4xx (a refused challenge, a bad request) gets a problem body instead of the portal's
    /// HTML error page. Call it inside the app-wide error handling, so it answers first for API paths.
    /// </summary>
    public static void UseApiProblemDetails(this WebApplication app) =>
        app.UseWhen(context => context.Request.IsApi(), api =>
        {
            api.UseExceptionHandler(new ExceptionHandlerOptions
            {
                // A request the server could not read (bad binding, body too large) keeps its 4xx.
                StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            });
            api.UseStatusCodePages();
        });

    public static void MapAllianceApi(this WebApplication app)
    {
        // The document lists every route and schema: handy while developing, a map for attackers in production.
        if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>($"{ApiReferenceOptions.Section}:{nameof(ApiReferenceOptions.Public)}"))
        {
            app.MapApiReference();
        }
        // Routing itself answers 404, 405 and (from the Accepts metadata) 415; the status code pages above turn
        // them into problems (and PageAuthorization lets them through without a sign-in).
        var api = app.MapGroup("/api/v1").RequireRateLimiting(Hosting.RateLimits.Api);
        api.MapOrdersApi();
        api.MapWebmasterApi();
        api.MapItemImportApi();
        api.MapLibraryApi();
        api.MapReportsApi();
        api.MapAdminApi();
    }
}
