using System.Data.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Notifications;

/// <summary>
/// The bell in the navbar: a link to the notifications with the unread count. One count on the partial index of unread
/// rows (<c>ix_notifications_unread</c>) per page view; nothing for anonymous visitors, so cached storefront pages stay cacheable.
/// </summary>
public sealed class NotificationBellViewComponent(AllianceDbContext db, ILogger<NotificationBellViewComponent> logger) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (UserClaimsPrincipal.TryUserId() is not { } userId) return Content("");
        var unread = 0;
        try
        {
            unread = await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null);
        }
        catch (DbException e)
        {
            // The layout also draws the error page: a database that is down must not break it twice.
            logger.LogWarning(e, "Could not count the unread notifications");
        }
        return View(unread);
    }
}
