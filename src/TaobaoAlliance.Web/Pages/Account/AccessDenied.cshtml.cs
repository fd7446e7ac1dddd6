using Microsoft.AspNetCore.Mvc.RazorPages;

namespace TaobaoAlliance.Web.Pages.Account;

/// <summary>Where a signed-in user lands when their role may not open a page; answers 403.</summary>
public sealed class AccessDeniedModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
