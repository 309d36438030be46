"""Create PDF, its progress and its download; the signed agreement's PDF in the register."""
