using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TaobaoAlliance.Data.Identity;

namespace TaobaoAlliance.Web.Pages.Account;

/// <summary>
/// Signs out on POST only (a link or an image on another page must not sign anyone out); GET shows
/// a button that posts.
/// </summary>
public sealed class SignOutModel(SignInManager<AllianceUser> signIn) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return LocalRedirect("/");
    }
}
