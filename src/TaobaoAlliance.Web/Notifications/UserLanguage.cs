using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Notifications;

/// <summary>
/// The signed-in user's language, stored on the user (set at sign-up, changed by the language switch) so emails and
/// notices sent while they are away are written in it.
/// </summary>
public static class UserLanguage
{
    public static async Task RememberAsync(HttpContext context, string culture)
    {
        if (context.User.TryUserId() is not { } userId) return;
        var db = context.RequestServices.GetRequiredService<AllianceDbContext>();
        await db.Users.Where(u => u.Id == userId && u.Language != culture)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Language, culture), context.RequestAborted);
    }
}
