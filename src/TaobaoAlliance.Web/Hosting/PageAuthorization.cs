using TaobaoAlliance.Data.Identity;

namespace TaobaoAlliance.Web.Hosting;

/// <summary>
/// Who may reach which pages, in one place (no page states its own role). Each area belongs to its
/// role, the cart and orders of the storefront to buyers; everything else requires a signed-in user
/// unless it is explicitly public — so a new page is protected before anyone thinks about it.
/// </summary>
public static class PageAuthorization
{
    /// <summary>The pages anyone may open: the storefront, the error page, and the ways into an account.</summary>
    public static readonly string[] PublicPages =
        ["/Index", "/Error", "/Store/Item", "/Account/SignIn", "/Account/SignUp", "/Account/AccessDenied",
         "/Account/ForgotPassword", "/Account/ResetPassword", "/Account/ConfirmEmail", "/Account/TwoFactorSignIn",
         "/Account/AcceptInvite"];

    public static void AddAlliancePages(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
                .RequireAssertion(context => context.User.Identity?.IsAuthenticated == true || IsRoutingRefusal(context.Resource))
                .Build())
            .AddPolicy(Roles.Webmaster, p => p.RequireRole(Roles.Webmaster))
            .AddPolicy(Roles.Seller, p => p.RequireRole(Roles.Seller))
            .AddPolicy(Roles.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Roles.Buyer, p => p.RequireRole(Roles.Buyer));
        services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeAreaFolder(Roles.Webmaster, "/", Roles.Webmaster);
            options.Conventions.AuthorizeAreaFolder(Roles.Seller, "/", Roles.Seller);
            options.Conventions.AuthorizeAreaFolder(Roles.Admin, "/", Roles.Admin);
            options.Conventions.AddAreaFolderApplicationModelConvention(Roles.Admin, "/", model => model.Filters.Add(new Identity.AdminTwoFactorFilter()));
            options.Conventions.AuthorizePage("/Store/Cart", Roles.Buyer);
            options.Conventions.AuthorizePage("/Store/Orders", Roles.Buyer);
            foreach (var page in PublicPages) options.Conventions.AllowAnonymousToPage(page);
        });
    }

    /// <summary>
    /// A request that routing answers itself — no such route (404), wrong method (405), wrong content type
    /// (415): none of them is a real endpoint, so whoever asks gets that status (the localized not-found page,
    /// or a problem for the API), not the sign-in page. Real pages and routes keep their own authorization.
    /// </summary>
    private static bool IsRoutingRefusal(object? resource) =>
        resource is HttpContext http && http.GetEndpoint() is not RouteEndpoint;
}
