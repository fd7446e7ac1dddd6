using Microsoft.AspNetCore.Authentication;

namespace TaobaoAlliance.Web.Api;

/// <summary>The JSON API under /api/v1, with its OpenAPI document at /openapi/v1.json.</summary>
public static class ApiRegistration
{
    public static void AddAllianceApi(this IServiceCollection services)
    {
        services.AddOpenApi();
        services.AddProblemDetails();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(WebmasterApi.Policy, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireClaim(ApiKeyAuthenticationHandler.WebmasterIdClaim));
    }

    public static void MapAllianceApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        var api = app.MapGroup("/api/v1");
        api.MapOrdersApi();
        api.MapWebmasterApi();
        api.MapItemImportApi();
    }
}
