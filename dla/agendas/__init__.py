"""Learning agendas, their dated versions, question threads and transitions."""
