using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace TaobaoAlliance.Web.Identity;

/// <summary>
/// The admin area asks for a session signed in with two factors (the <c>amr=mfa</c> claim Identity adds after the code
/// step, or the setup page adds right after the first code). Anyone else — an admin who has not set it up yet — is sent
/// to set it up, and comes back to the page they asked for. Applied to every page of the area, so no page can forget it.
/// </summary>
public sealed class AdminTwoFactorFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (HasTwoFactorSession(context.HttpContext.User)) return next();
        var request = context.HttpContext.Request;
        var returnUrl = HttpMethods.IsGet(request.Method) ? request.Path + request.QueryString : "/Admin";
        context.Result = new RedirectToPageResult("/Account/TwoFactor", new { area = "", returnUrl });
        return Task.CompletedTask;
    }

    public static bool HasTwoFactorSession(System.Security.Claims.ClaimsPrincipal user) =>
        user.HasClaim("amr", "mfa");
}
